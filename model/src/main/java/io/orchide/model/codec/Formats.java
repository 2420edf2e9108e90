package io.orchide.model.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

import java.util.regex.Pattern;

/**
 * The configured Jackson stream factories for manifests: strict about duplicate keys when reading. Streams only,
 * no mapper: trees are built and written by {@link Trees}. Thread-safe.
 */
final class Formats {
    /** JSON, also accepting '#' comment lines (so a JSON manifest can carry a comment header). */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** YAML, written in block style without a leading {@code ---}, strings quoted only where needed. */
    static final YAMLFactory YAML = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .stringQuotingChecker(new QuoteNumberLike())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Formats() {
    }

    /**
     * Also quotes strings a YAML reader could take for a number ({@code 0x10}, {@code 1e3}, {@code .5}, {@code +1}),
     * so that strings stay strings through a YAML round trip.
     */
    private static final class QuoteNumberLike extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        private static final Pattern NUMBER_LIKE = Pattern.compile("[-+]?(\\.?[0-9].*|\\.(inf|Inf|INF|nan|NaN|NAN))");
        private static final Pattern DURATION = Pattern.compile("[0-9]+(ms|s|m|h|d)");

        @Override public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value)
                    || (NUMBER_LIKE.matcher(value).matches() && !DURATION.matcher(value).matches());
        }
    }
}
