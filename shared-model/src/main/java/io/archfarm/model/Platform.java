package io.archfarm.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A container platform in its canonical OCI form: {@code linux/amd64}, {@code linux/arm64}, {@code linux/arm/v7}.
 * <p>
 * {@link #parse(String)} accepts the spellings people and tools actually use ({@code x86_64}, {@code aarch64},
 * {@code arm64/v8}, {@code armhf}, {@code ppc64el}, {@code i686}, ...) and always yields the same canonical value, so
 * that two requests for "the same" platform are equal, route to the same queue and land once in a manifest list.
 */
public record Platform(
        String os, String architecture, @Nullable String variant) implements Comparable<Platform> {

    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", null);
    public static final Platform LINUX_S390X = new Platform("linux", "s390x", null);

    /** The platforms Archfarm knows how to route, in canonical form. */
    public static final List<Platform> KNOWN = List.of(
            LINUX_AMD64,
            LINUX_ARM64,
            new Platform("linux", "arm", "v7"),
            new Platform("linux", "arm", "v6"),
            new Platform("linux", "arm", "v5"),
            new Platform("linux", "ppc64le", null),
            LINUX_S390X,
            new Platform("linux", "riscv64", null),
            new Platform("linux", "386", null));

    /** Aliases of "arch[/variant]", lower case, to the canonical "arch[/variant]". */
    private static final Map<String, String> ARCH_ALIASES = Map.ofEntries(
            Map.entry("amd64", "amd64"),
            Map.entry("x86_64", "amd64"),
            Map.entry("x86-64", "amd64"),
            Map.entry("x64", "amd64"),
            Map.entry("amd64/v1", "amd64"),
            Map.entry("arm64", "arm64"),
            Map.entry("aarch64", "arm64"),
            Map.entry("arm64/v8", "arm64"),
            Map.entry("aarch64/v8", "arm64"),
            Map.entry("armv8", "arm64"),
            Map.entry("arm", "arm/v7"),
            Map.entry("arm/v7", "arm/v7"),
            Map.entry("armhf", "arm/v7"),
            Map.entry("armv7", "arm/v7"),
            Map.entry("armv7l", "arm/v7"),
            Map.entry("arm/7", "arm/v7"),
            Map.entry("arm/v6", "arm/v6"),
            Map.entry("armv6", "arm/v6"),
            Map.entry("armv6l", "arm/v6"),
            Map.entry("arm/v5", "arm/v5"),
            Map.entry("armel", "arm/v5"),
            Map.entry("armv5", "arm/v5"),
            Map.entry("ppc64le", "ppc64le"),
            Map.entry("ppc64el", "ppc64le"),
            Map.entry("s390x", "s390x"),
            Map.entry("riscv64", "riscv64"),
            Map.entry("386", "386"),
            Map.entry("i386", "386"),
            Map.entry("i686", "386"),
            Map.entry("x86", "386"));

    /** qemu's name for each canonical architecture (the suffix of a {@code qemu-*} binfmt_misc entry). */
    private static final Map<String, String> QEMU_NAMES = Map.of(
            "amd64", "x86_64", "arm64", "aarch64", "arm", "arm", "ppc64le", "ppc64le", "s390x", "s390x", "riscv64",
            "riscv64", "386", "i386");

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
    }

    /**
     * Parses {@code os/arch[/variant]} or a bare architecture alias (which means Linux).
     *
     * @throws UnknownPlatformException naming the value when it is malformed or not a platform Archfarm builds
     */
    public static Platform parse(String value) {
        if (value == null || value.isBlank()) {
            throw new UnknownPlatformException(String.valueOf(value), "a platform must not be empty");
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        String os = "linux";
        String archAndVariant = text;
        int slash = text.indexOf('/');
        if (slash >= 0 && !ARCH_ALIASES.containsKey(text)) {
            os = text.substring(0, slash);
            archAndVariant = text.substring(slash + 1);
        }
        if (os.isEmpty()
                || archAndVariant.isEmpty()
                || archAndVariant.split("/", -1).length > 2
                || archAndVariant.startsWith("/")
                || archAndVariant.endsWith("/")) {
            throw new UnknownPlatformException(value, "expected os/arch[/variant], for example linux/arm64");
        }
        if (!os.equals("linux")) {
            throw new UnknownPlatformException(value, "only linux images can be built, not '" + os + "'");
        }
        String canonical = ARCH_ALIASES.get(archAndVariant);
        if (canonical == null) {
            throw new UnknownPlatformException(value, "known platforms are " + KNOWN);
        }
        int variantSlash = canonical.indexOf('/');
        return variantSlash < 0
                ? new Platform(os, canonical, null)
                : new Platform(os, canonical.substring(0, variantSlash), canonical.substring(variantSlash + 1));
    }

    /** The platform the running JVM executes natively, from {@code os.arch}. */
    public static Optional<Platform> ofJvm() {
        try {
            return Optional.of(parse(System.getProperty("os.arch")));
        } catch (UnknownPlatformException e) {
            return Optional.empty();
        }
    }

    /**
     * The platform a {@code qemu-<name>} binfmt_misc entry emulates, for example {@code qemu-aarch64} →
     * linux/arm64. Entries for architectures Archfarm does not build (qemu-mips, ...) give empty.
     */
    public static Optional<Platform> ofQemuBinfmtEntry(String entryName) {
        if (entryName == null || !entryName.startsWith("qemu-")) {
            return Optional.empty();
        }
        String qemuName = entryName.substring("qemu-".length());
        return QEMU_NAMES.entrySet().stream()
                .filter(e -> e.getValue().equals(qemuName))
                .findFirst()
                .map(e -> parse(e.getKey()));
    }

    /** qemu's name for this architecture: {@code aarch64}, {@code s390x}, {@code x86_64}, ... */
    public String qemuName() {
        return QEMU_NAMES.getOrDefault(architecture, architecture);
    }

    /** A form safe in queue names and file names: {@code linux-arm-v7}. */
    public String key() {
        return toString().replace('/', '-');
    }

    @Override
    public String toString() {
        return variant == null ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
    }

    @Override
    public int compareTo(Platform other) {
        return toString().compareTo(other.toString());
    }
}
