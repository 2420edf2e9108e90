package io.orchide.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * {@code orchide products get ID -o FILE}: downloads a product that reached ground; {@code orchide products delete ID}
 * removes it from ground.
 */
@Command(name = "products", description = "Products that reached ground: products get ID -o FILE, products delete ID "
        + "(removes it from ground: its bytes no longer count against its tenant's quota).")
final class ProductsCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "ACTION", description = "get or delete")
    String action;

    @Parameters(index = "1", paramLabel = "ID", description = "Product id, as `orchide get products` lists it")
    String id;

    @Option(names = {"-o", "--output"}, description = "File to write (get)")
    Path out;

    @Mixin
    ServerOption server;

    @Override
    public void run() {
        if (!action.equals("get") && !action.equals("delete")) {
            throw new CliException("products: unknown action " + action + " (known: get, delete)");
        }
        if (!id.matches("[0-9]{1,18}")) throw new CliException("products " + action + ": the id is a number (got " + id + ")");
        if (action.equals("delete")) {
            if (out != null) throw new CliException("products delete takes no -o");
            var r = server.client().delete("/api/v1/products/" + id);
            System.out.println("product " + id + " (" + r.path("name").asText() + ", " + r.path("size").asLong() + " bytes) deleted");
            return;
        }
        if (out == null) throw new CliException("products get: -o FILE is required (where to write the product)");
        long n = server.client().download("/api/v1/products/" + id + "/content", out, "product " + id);
        System.out.println("product " + id + " written to " + out + " (" + n + " bytes)");
    }
}
