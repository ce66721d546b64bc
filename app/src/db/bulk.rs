//! Statements over many rows at once, for the batches of the group commit (registrations,
//! door scans): `IN (…)` lists and multi-row `VALUES`, kept under the engines' limit on bound
//! values by chunking.

/// Values bound in one statement: well under the smallest engine's limit.
pub(crate) const MOST_BOUND_VALUES: usize = 800;

/// `$first, $first+1, …`: `count` placeholders for an `IN (…)` list.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, $2), ($3, $4)`: `rows` rows of `columns` placeholders for a `VALUES` list.
pub(crate) fn rows_of(columns: usize, rows: usize) -> String {
    (0..rows)
        .map(|row| format!("({})", placeholders(1 + row * columns, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_on_across_rows() {
        assert_eq!(placeholders(3, 2), "$3, $4");
        assert_eq!(rows_of(2, 2), "($1, $2), ($3, $4)");
    }
}
