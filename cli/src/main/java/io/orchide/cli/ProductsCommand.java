package io.orchide.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** {@code orchide products get ID -o FILE}: downloads a product that reached ground. */
@Command(name = "products", description = "Products that reached ground: products get ID -o FILE.")
final class ProductsCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "ACTION", description = "get")
    String action;

    @Parameters(index = "1", paramLabel = "ID", description = "Product id, as `orchide get products` lists it")
    String id;

    @Option(names = {"-o", "--output"}, required = true, description = "File to write")
    Path out;

    @Mixin
    ServerOption server;

    @Override
    public void run() {
        if (!action.equals("get")) throw new CliException("products: unknown action " + action + " (known: get)");
        if (!id.matches("[0-9]{1,18}")) throw new CliException("products get: the id is a number (got " + id + ")");
        long n = server.client().download("/api/v1/products/" + id + "/content", out, "product " + id);
        System.out.println("product " + id + " written to " + out + " (" + n + " bytes)");
    }
}
