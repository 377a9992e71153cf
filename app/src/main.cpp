#include <cstdio>
int main() { std::puts("rapport 0.1.0"); }
