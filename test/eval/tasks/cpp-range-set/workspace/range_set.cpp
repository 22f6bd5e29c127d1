#include "range_set.hpp"

#include <stdexcept>

void RangeSet::add(int lo, int hi) {
    (void)lo;
    (void)hi;
    throw std::logic_error("RangeSet::add is not implemented yet");
}

void RangeSet::remove(int lo, int hi) {
    (void)lo;
    (void)hi;
    throw std::logic_error("RangeSet::remove is not implemented yet");
}

bool RangeSet::contains(int x) const {
    (void)x;
    throw std::logic_error("RangeSet::contains is not implemented yet");
}

long long RangeSet::count() const {
    throw std::logic_error("RangeSet::count is not implemented yet");
}

std::vector<std::pair<int, int>> RangeSet::ranges() const {
    throw std::logic_error("RangeSet::ranges is not implemented yet");
}

std::string RangeSet::str() const {
    throw std::logic_error("RangeSet::str is not implemented yet");
}
