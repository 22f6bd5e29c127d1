#include "inventory.hpp"

#include <cctype>
#include <sstream>
#include <stdexcept>

namespace {

std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
    return fields;
}

}  // namespace

std::vector<Item> load_items(std::istream& in) {
    std::vector<Item> items;
    int number = 0;
    for (std::string line; std::getline(in, line);) {
        number++;
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> fields = split_fields(line);
        if (fields.size() != 3 || fields[0].empty())
            throw std::invalid_argument("line " + std::to_string(number) + ": expected name,quantity,price");
        Item item;
        item.name = fields[0];
        try {
            size_t used = 0;
            item.quantity = std::stoi(fields[1], &used);
            if (used != fields[1].size() || item.quantity < 0) throw std::invalid_argument("quantity");
        } catch (const std::exception&) {
            throw std::invalid_argument("line " + std::to_string(number) + ": bad quantity '" + fields[1] + "'");
        }

        // The price: digits, then optionally '.' and one or two digits.
        const std::string& price = fields[2];
        size_t dot = price.find('.');
        std::string whole = price.substr(0, dot);
        std::string frac = dot == std::string::npos ? "" : price.substr(dot + 1);
        bool ok = !whole.empty() && whole.size() <= 9 && frac.size() <= 2 && (dot == std::string::npos || !frac.empty());
        for (char c : whole + frac)
            if (!std::isdigit(static_cast<unsigned char>(c))) ok = false;
        if (!ok) throw std::invalid_argument("line " + std::to_string(number) + ": bad price '" + price + "'");
        if (frac.size() == 1) frac += '0';
        item.price_cents = std::stol(whole) * 100 + (frac.empty() ? 0 : std::stol(frac));

        items.push_back(item);
    }
    return items;
}

long total_value(const std::vector<Item>& items) {
    long total = 0;
    for (const Item& item : items) total += item.quantity * item.price_cents;
    return total;
}

std::vector<Item> cheaper_than(const std::vector<Item>& items, long max_cents) {
    std::vector<Item> out;
    for (const Item& item : items)
        if (item.price_cents <= max_cents) out.push_back(item);
    return out;
}

std::string format_cents(long cents) {
    std::string frac = std::to_string(cents % 100);
    return std::to_string(cents / 100) + "." + (frac.size() == 1 ? "0" + frac : frac);
}
