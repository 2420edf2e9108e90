package io.orchide.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code orchide image push FILE}: stores an image on ground by its content; prints its {@code sha256:} name, which
 * manifests use as {@code image:}. Ground sends a satellite only the chunks it does not hold yet.
 */
@Command(name = "image", description = "Images on ground: image push FILE (prints its sha256: name).")
final class ImageCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "ACTION", description = "push")
    String action;

    @Parameters(index = "1", paramLabel = "FILE", description = "Kernel, initrd or other image file")
    Path file;

    @Mixin
    ServerOption server;

    @Override
    public void run() {
        if (!action.equals("push")) throw new CliException("image: unknown action " + action + " (known: push)");
        if (!Files.isRegularFile(file)) throw new CliException("image push: " + file + " is not a file");
        System.out.println(push(server.client(), file));
    }

    /** Uploads {@code file} with a progress bar; returns its {@code sha256:} name. */
    static String push(ApiClient api, Path file) {
        return api.upload("/api/v1/images", file, "push " + file.getFileName()).path("digest").asText();
    }
}
