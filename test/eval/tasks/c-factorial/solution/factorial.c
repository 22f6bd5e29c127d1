unsigned long long factorial(int n) {
    unsigned long long r = 1;
    for (int i = 2; i <= n; i++) r *= (unsigned long long)i;
    return r;
}
