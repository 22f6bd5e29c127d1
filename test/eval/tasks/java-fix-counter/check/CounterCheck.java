public class CounterCheck {
    public static void main(String[] args) {
        WordCounter c = new WordCounter();
        for (int i = 0; i < 3; i++) c.add("a");
        c.add("b");
        if (c.count("a") != 3 || c.count("b") != 1 || c.count("z") != 0) { System.out.println("wrong"); System.exit(1); }
    }
}
