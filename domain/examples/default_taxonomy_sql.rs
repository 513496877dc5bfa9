//! Prints the SQL that seeds the default taxonomy: with no argument the content of
//! `migrations/0002_default_taxonomy.sql` (top-level categories and districts), with `subcategories`
//! the block between the generated-subcategories lines of `migrations/0013_taxonomy_tree.sql`.

fn main() {
    let taxonomy = qinglang_domain::Taxonomy::default_set();
    if std::env::args().nth(1).as_deref() == Some("subcategories") {
        print!("{}", taxonomy.subcategories_sql());
    } else {
        print!("{}", taxonomy.to_sql());
    }
}
