#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "inventory.hpp"

static int failures = 0;

static void expect(const std::string& text, long cents) {
    try {
        long got = parse_cents(text);
        if (got != cents) {
            std::cout << "FAIL parse_cents(\"" << text << "\") = " << got << ", expected " << cents << std::endl;
            failures++;
        }
    } catch (const std::exception& e) {
        std::cout << "FAIL parse_cents(\"" << text << "\") threw " << e.what() << std::endl;
        failures++;
    }
}

static void expect_invalid(const std::string& text) {
    try {
        parse_cents(text);
        std::cout << "FAIL parse_cents(\"" << text << "\") should throw" << std::endl;
        failures++;
    } catch (const std::invalid_argument&) {
    } catch (...) {
        std::cout << "FAIL parse_cents(\"" << text << "\") threw something else than std::invalid_argument" << std::endl;
        failures++;
    }
}

int main() {
    expect("12.50", 1250);
    expect("12.5", 1250);
    expect("12", 1200);
    expect("0.07", 7);
    expect("0", 0);
    expect("007.1", 710);
    expect("999999999.99", 99999999999L);
    for (const char* bad : {"", ".", "1.", ".5", "1.234", "-1", "+1", "1e2", "abc", "1.5x", " 1", "1 ", "1,50", "1234567890"})
        expect_invalid(bad);

    std::istringstream in("a,1,1.25\nb,2,x\n");
    try {
        load_items(in);
        std::cout << "FAIL load_items accepted a bad price" << std::endl;
        failures++;
    } catch (const std::invalid_argument&) {
    }

    if (failures) {
        std::cout << failures << " hidden check(s) failed" << std::endl;
        return 1;
    }
    std::cout << "parse_cents ok" << std::endl;
    return 0;
}
