#include "range_set.hpp"

#include <algorithm>
#include <stdexcept>

void RangeSet::add(int lo, int hi) {
    if (lo > hi) throw std::invalid_argument("add: lo > hi");
    std::vector<std::pair<int, int>> out;
    long long new_lo = lo, new_hi = hi;
    bool placed = false;
    for (const auto& [a, b] : ranges_) {
        if (static_cast<long long>(b) + 1 < new_lo) {
            out.push_back({a, b});
        } else if (static_cast<long long>(a) > new_hi + 1) {
            if (!placed) out.push_back({static_cast<int>(new_lo), static_cast<int>(new_hi)});
            placed = true;
            out.push_back({a, b});
        } else {
            new_lo = std::min<long long>(new_lo, a);
            new_hi = std::max<long long>(new_hi, b);
        }
    }
    if (!placed) out.push_back({static_cast<int>(new_lo), static_cast<int>(new_hi)});
    ranges_ = out;
}

void RangeSet::remove(int lo, int hi) {
    if (lo > hi) throw std::invalid_argument("remove: lo > hi");
    std::vector<std::pair<int, int>> out;
    for (const auto& [a, b] : ranges_) {
        if (b < lo || a > hi) {
            out.push_back({a, b});
            continue;
        }
        if (a < lo) out.push_back({a, lo - 1});
        if (b > hi) out.push_back({hi + 1, b});
    }
    ranges_ = out;
}

bool RangeSet::contains(int x) const {
    for (const auto& [a, b] : ranges_)
        if (a <= x && x <= b) return true;
    return false;
}

long long RangeSet::count() const {
    long long n = 0;
    for (const auto& [a, b] : ranges_) n += static_cast<long long>(b) - a + 1;
    return n;
}

std::vector<std::pair<int, int>> RangeSet::ranges() const {
    return ranges_;
}

std::string RangeSet::str() const {
    std::string out;
    for (const auto& [a, b] : ranges_) {
        if (!out.empty()) out += ' ';
        out += "[" + std::to_string(a) + "," + std::to_string(b) + "]";
    }
    return out;
}
