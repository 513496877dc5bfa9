//! Prints the SQL that seeds the default taxonomy; its output is `migrations/0002_default_taxonomy.sql`.

fn main() {
    print!("{}", qinglang_domain::Taxonomy::default_set().to_sql());
}
