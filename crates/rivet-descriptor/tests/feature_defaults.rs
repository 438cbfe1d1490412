//! `ResolvedFeatures::edition_defaults` against the defaults protoc compiles from
//! descriptor.proto (`protoc --edition_defaults_out`).

mod common;

use prost::Message;
use rivet_descriptor::{Edition, FeatureSetDefaults, ResolvedFeatures};

#[test]
fn edition_defaults_match_protoc() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("defaults.binpb");
    common::run(
        common::protoc()
            .arg(format!("--edition_defaults_out={}", out.display()))
            .arg("--edition_defaults_minimum=PROTO2")
            .arg("--edition_defaults_maximum=2026")
            .arg("google/protobuf/descriptor.proto"),
    );
    let compiled = FeatureSetDefaults::decode(std::fs::read(out).unwrap().as_slice()).unwrap();
    let editions = [
        Edition::Proto2,
        Edition::Proto3,
        Edition::Edition2023,
        Edition::Edition2024,
        Edition::Edition2026,
    ];
    for edition in editions {
        let edition = edition as i32;
        // The last entry at or before the edition holds its defaults.
        let entry = compiled
            .defaults
            .iter()
            .rfind(|entry| entry.edition() as i32 <= edition)
            .expect("defaults cover the edition");
        let mut expected = ResolvedFeatures::default();
        expected.merge(entry.fixed_features.as_ref());
        expected.merge(entry.overridable_features.as_ref());
        assert_eq!(
            ResolvedFeatures::edition_defaults(edition),
            expected,
            "edition {edition}"
        );
    }
}
