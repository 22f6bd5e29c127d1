#include <vector>
#include <cstdio>
#include "largest.hpp"
int main() {
    if (largest({3, 9, 2}) != 9 || largest({-5, -2, -9}) != -2 || largest({7}) != 7) {
        std::puts("wrong largest");
        return 1;
    }
    return 0;
}
