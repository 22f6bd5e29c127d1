public class PalindromeCheck {
    public static void main(String[] args) {
        check(Palindrome.isPalindrome("racecar"), "racecar");
        check(Palindrome.isPalindrome("A man, a plan, a canal: Panama"), "panama");
        check(!Palindrome.isPalindrome("hello"), "hello");
        check(Palindrome.isPalindrome(""), "empty");
    }
    static void check(boolean ok, String what) {
        if (!ok) { System.out.println("failed: " + what); System.exit(1); }
    }
}
