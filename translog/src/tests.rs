use proptest::prelude::*;

use super::*;

/// RFC 6962's test leaves (certificate-transparency's `testdata`).
fn rfc_leaves() -> Vec<Hash> {
    let raw: [&[u8]; 8] = [
        b"",
        b"\x00",
        b"\x10",
        b"\x20\x21",
        b"\x30\x31",
        b"\x40\x41\x42\x43",
        b"\x50\x51\x52\x53\x54\x55\x56\x57",
        b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
    ];
    raw.iter().map(|b| leaf_hash(b)).collect()
}

#[test]
fn roots_match_the_rfc_6962_test_vectors() {
    let leaves = rfc_leaves();
    let expected = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    for (size, want) in (1..=8).zip(expected) {
        assert_eq!(hex(&root(leaves.as_slice(), size)), want, "size {size}");
    }
    assert_eq!(hex(&root(leaves.as_slice(), 0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

#[test]
fn an_audit_path_has_the_rfc_shape() {
    let leaves = rfc_leaves();
    // Leaf 0 of 8: its sibling, then the pair beside it, then the other half.
    let proof = inclusion_proof(leaves.as_slice(), 0, 8).expect("in range");
    assert_eq!(proof, vec![leaves[1], leaves.as_slice().subtree(2, 4), leaves.as_slice().subtree(4, 8)]);
    assert_eq!(inclusion_proof(leaves.as_slice(), 0, 1).expect("in range"), Vec::<Hash>::new());
    assert_eq!(inclusion_proof(leaves.as_slice(), 8, 8), Err(ProofError::OutOfRange));
    // The consistency proof from 4 to 8 leaves is the right half alone (4 is a power of two).
    assert_eq!(consistency_proof(leaves.as_slice(), 4, 8).expect("in range"), vec![leaves.as_slice().subtree(4, 8)]);
    assert_eq!(consistency_proof(leaves.as_slice(), 9, 8), Err(ProofError::OutOfRange));
}

#[test]
fn canonical_json_sorts_keys_and_drops_spaces() {
    let value =
        serde_json::json!({ "office": "东城区", "at": 17, "kind": "received", "nested": { "b": [1, 2], "a": null } });
    assert_eq!(
        canonical_json(&value),
        r#"{"at":17,"kind":"received","nested":{"a":null,"b":[1,2]},"office":"东城区"}"#
    );
    assert_eq!(canonical_json(&serde_json::json!("a\"b\n")), r#""a\"b\n""#);
}

#[test]
fn the_signed_message_and_hex_round_trip() {
    let h = leaf_hash(b"x");
    assert_eq!(from_hex(&hex(&h)), Some(h));
    assert_eq!(from_hex(&hex(&h).to_uppercase()), Some(h));
    assert_eq!(from_hex("zz"), None);
    assert_eq!(from_hex(&"g".repeat(64)), None);
    assert_eq!(head_message(3, &h, 1_700_000_000_000), format!("qinglang-tree-head\n3\n{}\n1700000000000", hex(&h)));
}

fn tree(n: u64) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(format!("leaf {i}").as_bytes())).collect()
}

proptest! {
    #[test]
    fn every_leaf_proves_its_inclusion_and_no_other_does(n in 1u64..80, seed in 0u64..1000) {
        let leaves = tree(n);
        let index = seed % n;
        let size = index + 1 + (seed / 7) % (n - index);
        let r = root(leaves.as_slice(), size);
        let proof = inclusion_proof(leaves.as_slice(), index, size).expect("in range");
        prop_assert_eq!(verify_inclusion(index, size, &leaves[index as usize], &proof, &r), Ok(()));
        // Another leaf, another index, a changed path or a cut path all fail.
        let other = leaf_hash(b"not in the log");
        prop_assert!(verify_inclusion(index, size, &other, &proof, &r).is_err());
        if size > 1 {
            let wrong = (index + 1) % size;
            prop_assert!(verify_inclusion(wrong, size, &leaves[index as usize], &proof, &r).is_err());
            let mut bent = proof.clone();
            bent[0][0] ^= 1;
            prop_assert!(verify_inclusion(index, size, &leaves[index as usize], &bent, &r).is_err());
            prop_assert!(verify_inclusion(index, size, &leaves[index as usize], &proof[1..], &r).is_err());
        }
        prop_assert_eq!(verify_inclusion(size, size, &leaves[0], &proof, &r), Err(ProofError::OutOfRange));
    }

    #[test]
    fn every_prefix_is_consistent_and_a_rewritten_history_is_not(n in 1u64..80, seed in 0u64..1000) {
        let leaves = tree(n);
        let second = 1 + seed % n;
        let first = seed % (second + 1);
        let (r1, r2) = (root(leaves.as_slice(), first), root(leaves.as_slice(), second));
        let proof = consistency_proof(leaves.as_slice(), first, second).expect("in range");
        prop_assert_eq!(verify_consistency(first, second, &r1, &r2, &proof), Ok(()));
        if first > 0 && first < second {
            // The same sizes over a history with one old leaf changed.
            let mut rewritten = leaves.clone();
            rewritten[(seed % first) as usize] = leaf_hash(b"rewritten");
            let forged = root(rewritten.as_slice(), second);
            prop_assert!(verify_consistency(first, second, &r1, &forged, &proof).is_err());
            let forged_proof = consistency_proof(rewritten.as_slice(), first, second).expect("in range");
            prop_assert!(verify_consistency(first, second, &r1, &forged, &forged_proof).is_err());
            prop_assert!(verify_consistency(first, second, &r1, &r2, &proof[1..]).is_err());
        }
    }
}
