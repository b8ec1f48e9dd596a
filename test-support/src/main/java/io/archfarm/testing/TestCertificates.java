package io.archfarm.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A private CA made with openssl and a server certificate it signed, for the IP addresses a test server listens on,
 * so a test can serve TLS that a client verifies (or, with another CA, refuses) exactly as it would a real one.
 *
 * @param ca     the CA certificate (PEM), what a client is told to trust
 * @param cert   the server certificate (PEM)
 * @param key    the server's private key (PEM, unencrypted)
 */
public record TestCertificates(Path ca, Path cert, Path key) {

    /** Makes a CA in {@code dir} and a server certificate for {@code ips}, valid for two days. */
    public static TestCertificates make(Path dir, String... ips) throws IOException {
        RequiredTools.require("openssl");
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Path extensions = dir.resolve("server.ext");
        String names = List.of(ips).stream().map(ip -> "IP:" + ip).collect(Collectors.joining(","));
        Files.writeString(
                extensions,
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                        + "extendedKeyUsage=serverAuth\nsubjectAltName=" + names + "\n");
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                caKey.toString(),
                "-out",
                ca.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=archfarm test CA " + dir.getFileName());
        openssl(
                dir,
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                csr.toString(),
                "-subj",
                "/CN=" + ips[0]);
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                ca.toString(),
                "-CAkey",
                caKey.toString(),
                "-CAcreateserial",
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-extfile",
                extensions.toString());
        return new TestCertificates(ca, cert, key);
    }

    private static void openssl(Path dir, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("openssl " + arguments[0] + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        }
    }
}
