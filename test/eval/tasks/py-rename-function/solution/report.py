from billing.totals import compute_total

if __name__ == "__main__":
    print(compute_total([(2.0, 3), (1.5, 2)]))
