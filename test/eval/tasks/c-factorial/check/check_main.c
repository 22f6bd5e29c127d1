#include <stdio.h>
unsigned long long factorial(int n);
int main(void) {
    if (factorial(0) != 1ULL || factorial(1) != 1ULL || factorial(5) != 120ULL || factorial(20) != 2432902008176640000ULL) {
        printf("wrong factorial\n");
        return 1;
    }
    return 0;
}
