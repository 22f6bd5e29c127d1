#ifndef CONFIG_H
#define CONFIG_H
#define KB 1024
#define BUF_SIZE (4 * KB)
#endif
