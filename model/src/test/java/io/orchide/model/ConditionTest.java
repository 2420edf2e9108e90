package io.orchide.model;

import io.orchide.model.Condition.And;
import io.orchide.model.Condition.Compare;
import io.orchide.model.Condition.ExitCode;
import io.orchide.model.Condition.Not;
import io.orchide.model.Condition.Num;
import io.orchide.model.Condition.Op;
import io.orchide.model.Condition.Or;
import io.orchide.model.Condition.Output;
import io.orchide.model.Condition.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConditionTest {
    private static final Compare CLEAR = new Compare(new Output("cloud", "cover"), Op.LT, new Num(new BigDecimal(30)));
    private static final Compare OK = new Compare(new ExitCode("cloud"), Op.EQ, new Num(BigDecimal.ZERO));

    /** Values from a map: "step" is the exit code, "step.output" the output text. */
    private static Condition.Values values(Map<String, String> m) {
        return new Condition.Values() {
            @Override public Integer exitCode(String step) {
                return m.containsKey(step) ? Integer.valueOf(m.get(step)) : null;
            }

            @Override public String output(String step, String output) {
                return m.get(step + "." + output);
            }
        };
    }

    @Test
    void parsesComparisons() {
        assertThat(Condition.parse("steps.cloud.outputs.cover < 30")).isEqualTo(CLEAR);
        assertThat(Condition.parse("steps.cloud.exitCode==0")).isEqualTo(OK);
        assertThat(Condition.parse("30 > steps.cloud.outputs.cover")).isEqualTo(
                new Compare(new Num(new BigDecimal(30)), Op.GT, new Output("cloud", "cover")));
        assertThat(Condition.parse("steps.a-1.outputs.label != 'sea \\'ice\\''")).isEqualTo(
                new Compare(new Output("a-1", "label"), Op.NE, new Text("sea 'ice'")));
        assertThat(Condition.parse("steps.a.exitCode >= -1.50")).isEqualTo(
                new Compare(new ExitCode("a"), Op.GE, new Num(new BigDecimal("-1.50"))));
    }

    @Test
    void andBindsTighterThanOrAndNotTighterThanBoth() {
        assertThat(Condition.parse("steps.cloud.exitCode == 0 || steps.cloud.outputs.cover < 30 && "
                + "!steps.cloud.exitCode == 0")).isEqualTo(new Or(OK, new And(CLEAR, new Not(OK))));
        assertThat(Condition.parse("(steps.cloud.exitCode == 0 || steps.cloud.outputs.cover < 30) && "
                + "steps.cloud.exitCode == 0")).isEqualTo(new And(new Or(OK, CLEAR), OK));
        assertThat(Condition.parse("steps.cloud.exitCode == 0 && steps.cloud.exitCode == 0 && "
                + "steps.cloud.exitCode == 0")).isEqualTo(new And(new And(OK, OK), OK));
    }

    @Test
    void theCanonicalTextParsesBackToTheSameCondition() {
        for (String text : new String[] {"steps.cloud.outputs.cover < 30",
                "steps.cloud.exitCode == 0 || steps.cloud.outputs.cover < 30 && !(steps.cloud.exitCode == 0)",
                "(steps.a.exitCode == 0 || steps.b.exitCode == 0) && steps.c.outputs.x == \"q\\\"uote\\\\\"",
                "steps.a.exitCode == 0 || (steps.b.exitCode == 0 || steps.c.exitCode == 1)",
                "!!(steps.a.exitCode != 2)", "steps.a.outputs.v <= 0.25 && (steps.a.outputs.v > -3)"}) {
            Condition c = Condition.parse(text);
            assertThat(Condition.parse(c.text())).as(c.text()).isEqualTo(c);
        }
        assertThat(new Or(OK, new And(CLEAR, new Not(OK))).text()).isEqualTo(
                "steps.cloud.exitCode == 0 || steps.cloud.outputs.cover < 30 && !(steps.cloud.exitCode == 0)");
        assertThat(new And(new Or(OK, CLEAR), OK).text()).isEqualTo(
                "(steps.cloud.exitCode == 0 || steps.cloud.outputs.cover < 30) && steps.cloud.exitCode == 0");
    }

    @Test
    void listsItsReferences() {
        assertThat(Condition.parse("steps.a.exitCode == 0 && (steps.b.outputs.x < 3 || 1 == steps.a.exitCode)")
                .references()).containsExactly(new ExitCode("a"), new Output("b", "x"), new ExitCode("a"));
    }

    @Test
    void evaluatesNumbersAsNumbersAndTextAsText() {
        Condition c = Condition.parse("steps.cloud.exitCode == 0 && steps.cloud.outputs.cover < 30");
        assertThat(c.evaluate(values(Map.of("cloud", "0", "cloud.cover", " 12.5\n")))).isTrue();
        assertThat(c.evaluate(values(Map.of("cloud", "0", "cloud.cover", "30")))).isFalse();
        assertThat(c.evaluate(values(Map.of("cloud", "1", "cloud.cover", "3")))).isFalse();
        assertThat(c.evaluate(values(Map.of("cloud", "0")))).as("an absent output").isFalse();
        assertThat(c.evaluate(values(Map.of("cloud", "0", "cloud.cover", "cloudy")))).as("not a number").isFalse();
        Condition text = Condition.parse("steps.a.outputs.sky == \"clear\" || !(steps.a.outputs.sky != 'clear')");
        assertThat(text.evaluate(values(Map.of("a.sky", "clear\n")))).isTrue();
        assertThat(text.evaluate(values(Map.of("a.sky", "grey")))).isFalse();
        assertThat(Condition.parse("steps.a.outputs.n == 30").evaluate(values(Map.of("a.n", "30.0")))).isTrue();
        assertThat(Condition.parse("steps.a.exitCode != 0").evaluate(values(Map.of()))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "steps.a.exitCode", "steps.a.exitCode ==", "== 0", "steps.a.exitCode = 0",
            "steps.a.exitCode == 0 &&", "steps.a.exitCode == 0 & steps.b.exitCode == 0", "(steps.a.exitCode == 0",
            "steps.a.exitCode == 0)", "steps.a.status == 0", "steps.A.exitCode == 0", "steps.a.outputs.B == 1",
            "steps.a.outputs == 1", "step.a.exitCode == 0", "steps.a.exitCode == \"0\"", "steps.a.outputs.x < 'z'",
            "1 == 1", "'a' == 'a'", "steps.a.outputs.x == \"open", "steps.a.exitCode == 1.2.3",
            "steps.a.exitCode == 0 steps.b.exitCode == 0", "!", "()", "steps.a.exitCode == 0 || || x"})
    void rejects(String text) {
        assertThatThrownBy(() -> Condition.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorsGiveTheColumn() {
        assertThatThrownBy(() -> Condition.parse("steps.a.exitCode = 0"))
                .hasMessage("does not parse at column 18: expected a comparison operator (==, !=, <, <=, >, >=)");
        assertThatThrownBy(() -> Condition.parse("steps.a.exitCode == 0 and steps.b.exitCode == 0"))
                .hasMessage("does not parse at column 23: expected && or || or the end");
    }

    @Test
    void deepNestingAndLongTextAreRejectedNotOverflowed() {
        String deep = "(".repeat(200) + "steps.a.exitCode == 0" + ")".repeat(200);
        assertThatThrownBy(() -> Condition.parse(deep)).hasMessageContaining("nests deeper than");
        assertThatThrownBy(() -> Condition.parse("!".repeat(100_000))).isInstanceOf(IllegalArgumentException.class);
        String nested = "(".repeat(20) + "steps.a.exitCode == 0" + ")".repeat(20);
        assertThat(Condition.parse(nested)).isEqualTo(new Compare(new ExitCode("a"), Op.EQ, new Num(BigDecimal.ZERO)));
    }
}
