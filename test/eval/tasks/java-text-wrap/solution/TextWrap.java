import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Breaks text into lines of a given width. */
public final class TextWrap {
    private TextWrap() {}

    /** The lines of {@code text} wrapped at {@code width} characters, paragraphs separated by "". */
    public static List<String> wrap(String text, int width) {
        Objects.requireNonNull(text, "text");
        if (width < 1) throw new IllegalArgumentException("width must be at least 1, got " + width);
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\\r?\\n[ \\t\\r]*\\r?\\n")) {
            String trimmed = paragraph.strip();
            if (trimmed.isEmpty()) continue;
            if (!lines.isEmpty()) lines.add("");
            StringBuilder line = new StringBuilder();
            for (String word : trimmed.split("\\s+")) {
                if (line.length() > 0 && line.length() + 1 + word.length() <= width) {
                    line.append(' ').append(word);
                    continue;
                }
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                while (word.length() > width) {
                    lines.add(word.substring(0, width));
                    word = word.substring(width);
                }
                line.append(word);
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
