//! Compiles the examples' protos with Rivet (no protoc anywhere).

fn main() -> Result<(), rivet_build::Error> {
    rivet_build::configure().compile(
        &["protos/helloworld.proto", "protos/route_guide.proto"],
        &["protos"],
    )
}
