public class StoreApp {
    public static void main(String[] args) {
        Inventory inv = new Inventory();
        inv.add("apple");
        System.out.println(inv.size());
    }
}
