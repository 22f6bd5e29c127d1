#pragma once
#include <vector>
#include <algorithm>
inline int largest(const std::vector<int>& values) {
    return *std::max_element(values.begin(), values.end());
}
