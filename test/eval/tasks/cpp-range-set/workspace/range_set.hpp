#pragma once
#include <string>
#include <utility>
#include <vector>

// A set of ints kept as the fewest sorted, disjoint, non-touching inclusive ranges.
class RangeSet {
public:
    // Adds every integer in [lo, hi]; throws std::invalid_argument when lo > hi.
    void add(int lo, int hi);
    // Removes every integer in [lo, hi]; throws std::invalid_argument when lo > hi.
    void remove(int lo, int hi);
    bool contains(int x) const;
    // How many integers the set holds.
    long long count() const;
    // The ranges, ascending, merged: {{1, 6}, {10, 10}}.
    std::vector<std::pair<int, int>> ranges() const;
    // The ranges as text: "[1,6] [10,10]"; "" when empty.
    std::string str() const;

private:
    std::vector<std::pair<int, int>> ranges_;
};
