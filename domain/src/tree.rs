//! Trees kept as rows naming their parent (the categories, the offices): putting the rows in tree
//! order, each after its parent and before its parent's next sibling.

/// Orders `rows` (each with its position among its siblings) depth first, siblings by position then
/// code. A row whose parent is missing (or is itself) counts as a root, and rows caught in a cycle
/// come last, so a bad row is never lost.
pub fn tree_order<T>(mut rows: Vec<(T, i64)>, code: fn(&T) -> &str, parent: fn(&T) -> Option<&str>) -> Vec<T> {
    rows.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| code(&a.0).cmp(code(&b.0))));
    let index: std::collections::HashMap<&str, usize> =
        rows.iter().enumerate().map(|(i, (row, _))| (code(row), i)).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    let mut roots = Vec::new();
    for (i, (row, _)) in rows.iter().enumerate() {
        match parent(row).and_then(|p| index.get(p).copied()).filter(|&p| p != i) {
            Some(p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    let mut order = Vec::with_capacity(rows.len());
    let mut seen = vec![false; rows.len()];
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        order.push(i);
        stack.extend(children[i].iter().rev());
    }
    order.extend((0..rows.len()).filter(|&i| !seen[i]).collect::<Vec<_>>());
    drop(index);
    let mut slots: Vec<Option<T>> = rows.into_iter().map(|(row, _)| Some(row)).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
