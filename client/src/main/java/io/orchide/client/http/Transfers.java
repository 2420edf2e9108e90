package io.orchide.client.http;

/**
 * Who watches a long transfer (an image pushed, a product fetched): the CLI draws a progress bar, a program that
 * applies on its own watches nothing ({@link #NONE}).
 */
public interface Transfers {
    Transfers NONE = (label, total) -> Transfer.NONE;

    /** A transfer named {@code label} begins; {@code total} bytes, or -1 when the server did not say. */
    Transfer start(String label, long total);

    /** One transfer as it goes. */
    interface Transfer {
        Transfer NONE = new Transfer() {
            @Override
            public void advance(long bytes) {
            }

            @Override
            public void finish() {
            }
        };

        /** {@code bytes} more went through. */
        void advance(long bytes);

        /** It completed (not called for one that failed). */
        void finish();
    }
}
