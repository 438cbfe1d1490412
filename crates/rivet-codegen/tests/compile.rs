//! The generated code compiles and works: `tests/generated/` (kept current by
//! `tests/golden.rs`) is included here, and a few messages go through prost and tonic.

#[allow(clippy::all, clippy::pedantic, deprecated, dead_code, missing_docs)]
mod generated {
    include!("generated/_includes.rs");
}

use generated::rivet::test::{editions, proto2, proto3};
use prost::Message;

#[test]
fn proto2_defaults_groups_and_required_fields_round_trip() {
    let message = proto2::Everything {
        id: 7,
        settings: Some(proto2::everything::Settings {
            level: Some(3),
            tags: vec!["a".into()],
        }),
        entry: vec![proto2::everything::Entry {
            key: "k".into(),
            nested: None,
        }],
        expanded: vec![1, 2, 3],
        packed: vec![-1, -2],
        ..Default::default()
    };
    assert_eq!(message.name(), "tab\there \"quoted\" caf\u{e9}");
    assert_eq!(message.blob(), b"\0\x01\xffabc\"\\");
    assert_eq!(message.color(), proto2::Color::Green);
    assert!(message.ratio().is_infinite() && message.nan_value().is_nan());
    assert_eq!(message.ubig(), u64::MAX);
    let bytes = message.encode_to_vec();
    // Group tag 14 (start group) and the expanded field's first element (field 11, varint).
    assert!(bytes.windows(1).any(|w| w == [(14 << 3) | 3]));
    assert!(bytes.windows(2).any(|w| w == [11 << 3, 1]));
    assert_eq!(
        proto2::Everything::decode(bytes.as_slice()).unwrap(),
        message
    );
    assert_eq!(
        proto2::Color::from_str_name("COLOR_RED"),
        Some(proto2::Color::Red)
    );
    assert_eq!(proto2::Aliased::Self_.as_str_name(), "SELF");
}

#[test]
fn proto3_shapes_round_trip() {
    let mut shapes = proto3::Shapes {
        plain: 1,
        maybe: Some(0),
        r#type: "t".into(),
        self_: true,
        crate_: 3,
        r#async: 4,
        value: Some(proto3::shapes::Value::Child(Box::default())),
        body: Some(proto3::shapes::BodyOneOf::NumberBody(1.5)),
        self_ref: Some(Box::default()),
        ..Default::default()
    };
    shapes
        .children
        .insert("c".into(), proto3::Shapes::default());
    shapes.set_kind(proto3::shapes::Kind::Circle);
    let decoded = proto3::Shapes::decode(shapes.encode_to_vec().as_slice()).unwrap();
    assert_eq!(decoded, shapes);
    let tree = proto3::Tree {
        root: Some(Box::new(proto3::Node::default())),
    };
    assert_eq!(
        proto3::Tree::decode(tree.encode_to_vec().as_slice()).unwrap(),
        tree
    );
}

#[test]
fn editions_features_drive_the_wire_format() {
    let legacy = editions::Legacy {
        id: 1,
        settings: Some(editions::legacy::Settings { level: Some(2) }),
        expanded: vec![5, 6],
        packed: vec![7, 8],
        ..Default::default()
    };
    let bytes = legacy.encode_to_vec();
    assert!(
        bytes.contains(&((3 << 3) | 3)),
        "delimited field is a group"
    );
    assert!(
        bytes.windows(2).any(|w| w == [6 << 3, 5]),
        "expanded encoding"
    );
    assert!(
        bytes.windows(2).any(|w| w == [(5 << 3) | 2, 2]),
        "packed encoding"
    );
    assert_eq!(editions::Legacy::decode(bytes.as_slice()).unwrap(), legacy);
    let implicit = editions::Implicit {
        plain: 0,
        explicit: Some(0),
        ..Default::default()
    };
    assert_eq!(implicit.encode_to_vec(), [4 << 3, 0]);
}

#[tokio::test]
async fn generated_client_talks_to_generated_server() {
    use generated::helloworld::greeter_client::GreeterClient;
    use generated::helloworld::greeter_server::{Greeter, GreeterServer};
    use generated::helloworld::{HelloReply, HelloRequest};

    struct Hello;
    #[tonic::async_trait]
    impl Greeter for Hello {
        async fn say_hello(
            &self,
            request: tonic::Request<HelloRequest>,
        ) -> Result<tonic::Response<HelloReply>, tonic::Status> {
            Ok(tonic::Response::new(HelloReply {
                message: format!("Hello {}", request.into_inner().name),
            }))
        }
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(GreeterServer::new(Hello))
            .serve_with_incoming_shutdown(
                tokio_stream::wrappers::TcpListenerStream::new(listener),
                async {
                    stopped.await.ok();
                },
            ),
    );
    let mut client = GreeterClient::connect(format!("http://{address}"))
        .await
        .unwrap();
    let reply = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        client.say_hello(HelloRequest {
            name: "rivet".into(),
        }),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(reply.into_inner().message, "Hello rivet");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();

    // The streaming service's client type-checks too.
    let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    let _streamer =
        generated::rivet::test::streaming::streamer_client::StreamerClient::new(channel);
}
