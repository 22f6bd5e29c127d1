public class Report {
    public static String line(String name, int count) { return name + ": " + count; }
}
