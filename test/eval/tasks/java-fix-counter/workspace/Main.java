public class Main {
    public static void main(String[] args) {
        WordCounter c = new WordCounter();
        for (String w : "the cat saw the dog".split(" ")) c.add(w);
        System.out.println("the=" + c.count("the"));
    }
}
