package io.archfarm.scheduler.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust for one registry, as the containers tools build it ({@code containers-certs.d(5)}): the JDK's
 * default CAs plus every {@code *.crt} in {@code <certs.d>/<host[:port]>/}. So a registry with a certificate from a
 * private CA is verified against that CA, and the scheduler and the workers trust the same registries when they share
 * the directory layout.
 */
final class RegistryTrust {

    private RegistryTrust() {}

    /** The CA files for {@code registry} in the first of {@code certsDirs} that has a directory for it. */
    static List<Path> caFiles(List<Path> certsDirs, String registry) throws IOException {
        for (Path root : certsDirs) {
            Path dir = root.resolve(registry);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> crts = Files.newDirectoryStream(dir, "*.crt")) {
                crts.forEach(files::add);
            }
            files.sort(null);
            return files;
        }
        return List.of();
    }

    /** The default context when there are no CA files, else one that also trusts them. */
    static SSLContext context(List<Path> caFiles) throws IOException {
        try {
            if (caFiles.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            int n = 0;
            for (var manager : defaults.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("default-" + n++, ca);
                    }
                }
            }
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Path file : caFiles) {
                try (InputStream in = Files.newInputStream(file)) {
                    int before = n;
                    for (Certificate ca : x509.generateCertificates(in)) {
                        store.setCertificateEntry("certs.d-" + n++, ca);
                    }
                    if (n == before) {
                        throw new IOException(file + " holds no PEM certificate");
                    }
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the CA certificates " + caFiles + ": " + e.getMessage(), e);
        }
    }
}
