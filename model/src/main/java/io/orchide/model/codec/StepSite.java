package io.orchide.model.codec;

import io.orchide.model.Condition;
import io.orchide.model.DataRef;
import io.orchide.model.Resources;
import io.orchide.model.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One step as read, with where each of its references is written, so that the references can be checked against
 * the other steps once all are read.
 */
final class StepSite {
    /** A value and the cursor where it is written. */
    record Located<T>(Cursor at, T value) {
    }

    final int index;
    final Cursor cursor;
    String name;
    Cursor afterField;
    final List<Located<String>> after = new ArrayList<>();
    Located<Condition> when;
    final List<Located<DataRef>> data = new ArrayList<>();
    /** Where forEach.items is written; null without forEach. */
    Cursor forEachItems;
    Located<Integer> parallelism;
    final Set<String> outputs = new LinkedHashSet<>();
    /** Resources of the inline template; null for an App reference. */
    Resources resources;
    Located<Duration> timeout;
    Step step;

    StepSite(int index, Cursor cursor) {
        this.index = index;
        this.cursor = cursor;
    }
}
