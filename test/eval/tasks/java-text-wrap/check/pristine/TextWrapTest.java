import java.util.List;

/** Tests for TextWrap: javac -d /tmp/wrap *.java && java -cp /tmp/wrap TextWrapTest */
public class TextWrapTest {
    private static int failures = 0;

    private static void expect(String name, List<String> expected, String text, int width) {
        try {
            List<String> actual = TextWrap.wrap(text, width);
            if (!expected.equals(actual)) {
                System.out.println("FAIL " + name + ": expected " + expected + ", got " + actual);
                failures++;
            }
        } catch (RuntimeException e) {
            System.out.println("FAIL " + name + ": " + e);
            failures++;
        }
    }

    public static void main(String[] args) {
        expect("fits on one line", List.of("hello world"), "hello world", 20);
        expect("greedy filling", List.of("the quick", "brown fox", "jumps"), "the quick brown fox jumps", 10);
        expect("exact width", List.of("abc def", "ghi"), "abc def ghi", 7);
        expect("whitespace collapses", List.of("a b c"), "  a \t b\nc  ", 10);
        expect("long words are cut", List.of("abcde", "fghij", "kl"), "abcdefghijkl", 5);
        expect("paragraphs", List.of("one two", "", "three"), "one two\n\nthree", 10);
        expect("no words", List.of(), "   ", 10);

        boolean thrown = false;
        try {
            TextWrap.wrap("text", 0);
        } catch (IllegalArgumentException e) {
            thrown = true;
        }
        if (!thrown) {
            System.out.println("FAIL width 0 should throw IllegalArgumentException");
            failures++;
        }

        if (failures > 0) {
            System.out.println(failures + " test(s) failed");
            System.exit(1);
        }
        System.out.println("all tests passed");
    }
}
