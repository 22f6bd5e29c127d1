import java.util.List;

/** Breaks text into lines of a given width. */
public final class TextWrap {
    private TextWrap() {}

    /** The lines of {@code text} wrapped at {@code width} characters, paragraphs separated by "". */
    public static List<String> wrap(String text, int width) {
        throw new UnsupportedOperationException("TextWrap.wrap is not implemented yet");
    }
}
