/// The arithmetic mean of `values`; 0.0 for an empty slice.
pub fn average(values: &[i64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let sum: i64 = values.iter().sum();
    sum as f64 / values.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_of_three() {
        assert_eq!(average(&[1, 2, 4]), 7.0 / 3.0);
    }
}
