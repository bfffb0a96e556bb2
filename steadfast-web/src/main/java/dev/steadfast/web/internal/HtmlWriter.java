package dev.steadfast.web.internal;

import java.util.Set;

/**
 * Builds a page's markup with text escaped by default: text and attribute values can only be added
 * through methods that escape (and redact) them, and markup only as a {@link Fragment} another writer
 * built. There is no way to append a raw string, so forgetting to escape a payload, an error or a queue
 * name cannot happen. Tag and attribute names are the code's own constants.
 */
final class HtmlWriter {
    private static final Set<Object> LINKS = Set.of("href", "action", "formaction", "src");

    private final StringBuilder out = new StringBuilder(1024);

    /** Markup made by a writer; only a writer can make one. */
    static final class Fragment {
        private final String html;

        private Fragment(String html) {
            this.html = html;
        }

        @Override
        public String toString() {
            return html;
        }
    }

    /** {@code <tag name="value" ...>}; attributes come as name, value pairs, a null value leaves the attribute out. */
    HtmlWriter open(String tag, Object... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append('>');
        return this;
    }

    HtmlWriter close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** An element with text content: {@code <tag ...>text</tag>}. */
    HtmlWriter element(String tag, Object text, Object... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** An element without content or end tag ({@code input}, {@code meta}, {@code link}). */
    HtmlWriter empty(String tag, Object... attributes) {
        return open(tag, attributes);
    }

    /** Text, escaped and redacted. */
    HtmlWriter text(Object value) {
        out.append(Html.esc(value));
        return this;
    }

    /** Markup another writer built. */
    HtmlWriter add(Fragment fragment) {
        out.append(fragment.html);
        return this;
    }

    Fragment fragment() {
        return new Fragment(out.toString());
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void attributes(Object[] attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            Object value = attributes[i + 1];
            if (value != null) {
                if (LINKS.contains(attributes[i]) && value instanceof String link) {
                    value = BasePath.link(link); // behind a proxy's path prefix, links carry it
                }
                out.append(' ')
                        .append(attributes[i])
                        .append("=\"")
                        .append(Html.esc(value))
                        .append('"');
            }
        }
    }
}
