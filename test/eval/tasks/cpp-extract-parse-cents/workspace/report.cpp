// report FILE [--max-price PRICE]: prints the stock in FILE (name,quantity,price lines) and its
// total value; with --max-price, only the items that cost at most PRICE each.
#include <cctype>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <stdexcept>

#include "inventory.hpp"

static int usage() {
    std::cerr << "usage: report FILE [--max-price PRICE]" << std::endl;
    return 2;
}

int main(int argc, char** argv) {
    if (argc != 2 && argc != 4) return usage();
    if (argc == 4 && std::strcmp(argv[2], "--max-price") != 0) return usage();

    long max_cents = -1;
    if (argc == 4) {
        // The price: digits, then optionally '.' and one or two digits.
        std::string text = argv[3];
        size_t dot = text.find('.');
        std::string whole = text.substr(0, dot);
        std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
        bool ok = !whole.empty() && whole.size() <= 9 && frac.size() <= 2 && (dot == std::string::npos || !frac.empty());
        for (char c : whole + frac)
            if (!std::isdigit(static_cast<unsigned char>(c))) ok = false;
        if (!ok) {
            std::cerr << "report: bad price '" << text << "'" << std::endl;
            return 1;
        }
        if (frac.size() == 1) frac += '0';
        max_cents = std::stol(whole) * 100 + (frac.empty() ? 0 : std::stol(frac));
    }

    std::ifstream file(argv[1]);
    if (!file) {
        std::cerr << "report: cannot open " << argv[1] << std::endl;
        return 1;
    }
    std::vector<Item> items;
    try {
        items = load_items(file);
    } catch (const std::invalid_argument& e) {
        std::cerr << "report: " << argv[1] << ": " << e.what() << std::endl;
        return 1;
    }
    if (max_cents >= 0) items = cheaper_than(items, max_cents);

    for (const Item& item : items) {
        std::cout << std::left << std::setw(16) << item.name << std::right << std::setw(5) << item.quantity << " x "
                  << std::setw(8) << format_cents(item.price_cents) << std::endl;
    }
    std::cout << "total: " << format_cents(total_value(items)) << std::endl;
    return 0;
}
