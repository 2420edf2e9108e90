package io.orchide.bench;

import io.orchide.link.secure.KeyFiles;
import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.DesiredStateSignature;
import io.orchide.link.trust.DirectorKeys;
import io.orchide.link.trust.ImageStatement;
import io.orchide.link.trust.ImageVerifier;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;
import io.orchide.model.message.DesiredChange;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * What the chain of trust costs a node, with the classes a node verifies with, on real Ed25519 keys:
 * <ul>
 *   <li>a signed 10 MiB image: the SHA-256 of its bytes read from a file (as the node checks an assembled image
 *   against its digest), its tenant's signature verified against the delegation, and the delegation chain (the pinned
 *   root's own threshold, then the delegation's root signatures), from the documents' text each time;</li>
 *   <li>a desired-state document: a sealed App change carrying its trust documents (root, director keys,
 *   delegation, image signature), its director keys verified against the root, then its seal opened for its
 *   satellite and the change decoded.</li>
 * </ul>
 * Each is timed over many runs after a warm-up; p50, p99 and max are printed. Arguments: {@code [runs, default 1000]
 * [image MiB, default 10]}.
 */
public final class TrustVerification {
    private TrustVerification() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        KeyPair r1 = KeyFiles.generate(), r2 = KeyFiles.generate(), r3 = KeyFiles.generate();
        KeyPair tenantKey = KeyFiles.generate(), director = KeyFiles.generate();
        RootMetadata root = RootMetadata.of(1, 2, List.of(r1.getPublic(), r2.getPublic(), r3.getPublic()));
        String rootText = sign(root.unsigned(), r1, r2, r3).toJson();
        String delegationText = sign(Delegation.of("ocean", 1, List.of(tenantKey.getPublic())).unsigned(), r1, r2).toJson();
        String directorsText = sign(DirectorKeys.of(1, List.of(director.getPublic())).unsigned(), r2, r3).toJson();

        Path image = Files.createTempFile("orchide-trust-bench", ".img");
        try {
            byte[] bytes = new byte[mib * 1024 * 1024];
            new Random(42).nextBytes(bytes);
            Files.write(image, bytes);
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            String imageText = sign(new ImageStatement("ocean", "app.kernel", digest).unsigned(), tenantKey).toJson();

            byte[] change = new DesiredChange("App", "hello", 7, """
                    apiVersion: orchide.io/v1
                    kind: App
                    metadata: {name: hello, tenant: ocean}
                    spec:
                      image: %s
                      runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                      resources: {vcpus: 1, memoryMiB: 64}
                    """.formatted(digest), List.of(rootText, directorsText, delegationText, imageText)).encode();
            byte[] sealed = DesiredStateSignature.seal("sat-1", change, director);

            System.out.printf("image %d MiB, %d runs each (after %d warm-up runs); Ed25519 (JDK), SHA-256 (JDK)%n",
                    mib, runs, Math.max(20, runs / 10));
            System.out.printf("desired-state document: %d bytes sealed (change with root, director keys, delegation and "
                    + "image signature)%n", sealed.length);
            report("image digest (SHA-256 of the file)", time(runs, () -> check(digest.equals(sha256(image)))));
            report("image signature + delegation chain", time(runs, () -> chain(rootText, delegationText, imageText, digest)));
            report("signed image, all of it", time(runs, () -> {
                check(digest.equals(sha256(image)));
                chain(rootText, delegationText, imageText, digest);
            }));
            report("desired-state document", time(runs, () -> desired(rootText, directorsText, sealed)));
        } finally {
            Files.deleteIfExists(image);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    static SignedDocument sign(SignedDocument d, KeyPair... keys) {
        for (KeyPair k : keys) d = d.sign(k.getPrivate(), k.getPublic());
        return d;
    }

    static void check(boolean ok) {
        if (!ok) throw new IllegalStateException("a verification that must pass did not");
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1024 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    /** As a node does from the documents' text: the pinned root, the tenant's delegation, the image's signature. */
    static void chain(String rootText, String delegationText, String imageText, String digest) throws TrustException {
        RootMetadata root = RootMetadata.pinned(SignedDocument.parse(rootText, "root"));
        Delegation d = Delegation.verify(root, SignedDocument.parse(delegationText, "delegation"), null);
        ImageVerifier.verify("ocean", digest, d, List.of(SignedDocument.parse(imageText, "image")));
    }

    /** The root's director keys verified, then the change's seal opened with them and the change decoded. */
    static void desired(String rootText, String directorsText, byte[] sealed) throws Exception {
        RootMetadata root = RootMetadata.pinned(SignedDocument.parse(rootText, "root"));
        DirectorKeys directors = DirectorKeys.verify(root, SignedDocument.parse(directorsText, "director"), null);
        check(DesiredChange.decode(DesiredStateSignature.open(sealed, "sat-1", directors)).generation() == 7);
    }

    static long[] time(int runs, Work w) throws Exception {
        for (int i = 0; i < Math.max(20, runs / 10); i++) w.run();
        long[] out = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            w.run();
            out[i] = System.nanoTime() - t0;
        }
        Arrays.sort(out);
        return out;
    }

    static void report(String what, long[] sorted) {
        System.out.printf("%-40s p50 %8.3f ms   p99 %8.3f ms   max %8.3f ms%n", what, ms(sorted[sorted.length / 2]),
                ms(sorted[(int) Math.ceil(sorted.length * 0.99) - 1]), ms(sorted[sorted.length - 1]));
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
