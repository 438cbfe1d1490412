//! The code Rivet generates for `protos/`, shared by the examples and the cross-crate tests.

/// `protos/helloworld.proto`: the greeter service.
pub mod helloworld {
    tonic::include_proto!("helloworld");
}

/// `protos/route_guide.proto`: the route guide service (all four RPC kinds).
pub mod routeguide {
    tonic::include_proto!("routeguide");
}
