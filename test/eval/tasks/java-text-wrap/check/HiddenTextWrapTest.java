import java.util.List;

public class HiddenTextWrapTest {
    private static int failures = 0;

    private static void expect(String name, List<String> expected, String text, int width) {
        try {
            List<String> actual = TextWrap.wrap(text, width);
            if (!expected.equals(actual)) {
                System.out.println("FAIL hidden " + name + ": expected " + expected + ", got " + actual);
                failures++;
            }
        } catch (RuntimeException e) {
            System.out.println("FAIL hidden " + name + ": " + e);
            failures++;
        }
    }

    private static void expectThrows(String name, Class<? extends Exception> type, String text, int width) {
        try {
            TextWrap.wrap(text, width);
            System.out.println("FAIL hidden " + name + ": nothing thrown");
            failures++;
        } catch (Exception e) {
            if (!type.isInstance(e)) {
                System.out.println("FAIL hidden " + name + ": expected " + type.getSimpleName() + ", got " + e);
                failures++;
            }
        }
    }

    public static void main(String[] args) {
        expect("empty text", List.of(), "", 5);
        expect("only line breaks", List.of(), "\n\n\n", 5);
        expect("one word per line", List.of("aa", "bb", "cc"), "aa bb cc", 4);
        expect("width one", List.of("a", "b", "c", "d"), "ab cd", 1);
        expect("word of exactly the width", List.of("abcd", "ef"), "abcd ef", 4);
        expect("long word after text starts a new line", List.of("ab", "cdefg", "hij k"), "ab cdefghij k", 5);
        expect("words continue after the last piece", List.of("xy", "abcde", "fg hi", "jk"), "xy abcdefg hi jk", 5);
        expect("long word exactly twice the width", List.of("abc", "def", "g"), "abcdef g", 3);
        expect("long word first", List.of("abcd", "ef g"), "abcdef g", 4);
        expect("tabs and single line breaks", List.of("one two", "three"), "one\ttwo\nthree", 7);
        expect("several blank lines are one break", List.of("a", "", "b"), "a\n\n\n\nb", 3);
        expect("blank line with spaces", List.of("a", "", "b"), "a\n  \t \nb", 3);
        expect("windows line breaks", List.of("a b", "", "c"), "a\r\nb\r\n\r\nc", 3);
        expect("leading and trailing blank lines", List.of("a b"), "\n\n  a b  \n\n", 3);
        expect("paragraphs wrap separately", List.of("aaa", "bb", "", "cc dd"), "aaa bb\n\ncc dd", 5);
        expect("punctuation belongs to words", List.of("Hello,", "world!"), "Hello, world!", 8);
        expect("wide", List.of("a b c d e f"), "a  b  c  d  e  f", 100);
        expectThrows("negative width", IllegalArgumentException.class, "abc", -3);
        expectThrows("null text", NullPointerException.class, null, 10);

        if (failures > 0) {
            System.out.println(failures + " hidden test(s) failed");
            System.exit(1);
        }
        System.out.println("all hidden tests passed");
    }
}
