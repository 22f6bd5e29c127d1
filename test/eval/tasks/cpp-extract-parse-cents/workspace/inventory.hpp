#pragma once
#include <istream>
#include <string>
#include <vector>

// One line of stock: what it is, how many there are, and the price of one, in cents.
struct Item {
    std::string name;
    int quantity;
    long price_cents;
};

// Reads "name,quantity,price" lines (price like 12.50, 12.5 or 12; blank lines and lines starting
// with '#' skipped). Throws std::invalid_argument naming the line for anything malformed.
std::vector<Item> load_items(std::istream& in);

// The value of all the stock, in cents.
long total_value(const std::vector<Item>& items);

// The items whose unit price is at most max_cents, in their order.
std::vector<Item> cheaper_than(const std::vector<Item>& items, long max_cents);

// Writes cents as a price: 1250 -> "12.50".
std::string format_cents(long cents);
