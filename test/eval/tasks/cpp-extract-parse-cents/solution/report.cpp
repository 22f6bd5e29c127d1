// report FILE [--max-price PRICE]: prints the stock in FILE (name,quantity,price lines) and its
// total value; with --max-price, only the items that cost at most PRICE each.
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
        try {
            max_cents = parse_cents(argv[3]);
        } catch (const std::invalid_argument&) {
            std::cerr << "report: bad price '" << argv[3] << "'" << std::endl;
            return 1;
        }
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
