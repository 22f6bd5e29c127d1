// Tests for inventory.cpp: make test
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "inventory.hpp"

static int failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            std::cout << "FAIL line " << __LINE__ << ": " #cond << std::endl;        \
            failures++;                                                              \
        }                                                                            \
    } while (0)

static std::vector<Item> load(const std::string& text) {
    std::istringstream in(text);
    return load_items(in);
}

static bool rejects(const std::string& text) {
    try {
        load(text);
    } catch (const std::invalid_argument&) {
        return true;
    }
    return false;
}

int main() {
    auto items = load("# stock\napple,3,0.50\n\npear,2,1.5\nmelon,1,4\n");
    CHECK(items.size() == 3);
    CHECK(items[0].name == "apple" && items[0].quantity == 3 && items[0].price_cents == 50);
    CHECK(items[1].price_cents == 150);
    CHECK(items[2].price_cents == 400);
    CHECK(total_value(items) == 850);
    CHECK(cheaper_than(items, 150).size() == 2);
    CHECK(format_cents(1205) == "12.05");
    CHECK(format_cents(7) == "0.07");

    CHECK(rejects("apple,3\n"));
    CHECK(rejects("apple,x,1.00\n"));
    CHECK(rejects("apple,3,1.005\n"));
    CHECK(rejects("apple,3,1.\n"));
    CHECK(rejects("apple,3,-1\n"));
    CHECK(rejects("apple,3,.50\n"));

    if (failures) {
        std::cout << failures << " check(s) failed" << std::endl;
        return 1;
    }
    std::cout << "all tests passed" << std::endl;
    return 0;
}
