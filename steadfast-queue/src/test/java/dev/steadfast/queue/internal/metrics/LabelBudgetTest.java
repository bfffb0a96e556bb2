package dev.steadfast.queue.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelBudgetTest {
    @Test
    void labelsCarryNoControlCharacterEvenFromNamesStoredBeforeTheNameRule() {
        LabelBudget budget = new LabelBudget(2);
        assertThat(budget.label("mail")).isEqualTo("mail");
        assertThat(budget.label("old\nqueue\u0000\u001b[31m")).isEqualTo("old\\nqueue\\u0000\\u001b[31m");
        assertThat(budget.label("old\nqueue\u0000\u001b[31m"))
                .as("the same value, admitted once")
                .isEqualTo("old\\nqueue\\u0000\\u001b[31m");
        assertThat(budget.label("third\n")).isEqualTo(LabelBudget.OTHER);
    }
}
