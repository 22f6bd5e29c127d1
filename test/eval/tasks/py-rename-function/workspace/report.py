from billing.totals import calc_total

if __name__ == "__main__":
    print(calc_total([(2.0, 3), (1.5, 2)]))
