//! The route guide: all four kinds of gRPC call (unary, server streaming, client streaming,
//! bidirectional streaming) through Rivet-generated code, against an in-process server.
//!
//! ```text
//! cargo run --example routeguide
//! ```

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;

use rivet::routeguide::route_guide_client::RouteGuideClient;
use rivet::routeguide::route_guide_server::{RouteGuide, RouteGuideServer};
use rivet::routeguide::{Feature, Point, Rectangle, RouteNote, RouteSummary};
use tokio::net::TcpListener;
use tokio::sync::Mutex;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

/// A small fixed map.
fn features() -> Vec<Feature> {
    let at = |name: &str, latitude, longitude| Feature {
        name: name.to_string(),
        location: Some(Point {
            latitude,
            longitude,
        }),
    };
    vec![
        at("Lighthouse", 407_838_351, -746_143_763),
        at("Old mill", 408_122_808, -743_999_179),
        at("Harbour", 413_628_156, -749_015_468),
    ]
}

/// Great-circle distance in metres between two E7 points (haversine).
fn distance(a: &Point, b: &Point) -> i32 {
    const E7: f64 = 1e7;
    const EARTH_RADIUS_M: f64 = 6_371_000.0;
    let (lat1, lat2) = (
        (a.latitude as f64 / E7).to_radians(),
        (b.latitude as f64 / E7).to_radians(),
    );
    let d_lat = lat2 - lat1;
    let d_lon = ((b.longitude - a.longitude) as f64 / E7).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    (2.0 * EARTH_RADIUS_M * h.sqrt().atan2((1.0 - h).sqrt())) as i32
}

fn inside(point: &Point, rect: &Rectangle) -> bool {
    let (lo, hi) = (rect.lo.unwrap_or_default(), rect.hi.unwrap_or_default());
    let (lat_min, lat_max) = (lo.latitude.min(hi.latitude), lo.latitude.max(hi.latitude));
    let (lon_min, lon_max) = (
        lo.longitude.min(hi.longitude),
        lo.longitude.max(hi.longitude),
    );
    (lat_min..=lat_max).contains(&point.latitude) && (lon_min..=lon_max).contains(&point.longitude)
}

/// Notes left so far, by (latitude, longitude).
type Notes = Arc<Mutex<HashMap<(i32, i32), Vec<RouteNote>>>>;

#[derive(Debug, Default)]
struct Guide {
    features: Vec<Feature>,
    notes: Notes,
}

type ResponseStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

#[tonic::async_trait]
impl RouteGuide for Guide {
    async fn get_feature(&self, request: Request<Point>) -> Result<Response<Feature>, Status> {
        let point = request.into_inner();
        let found = self.features.iter().find(|f| f.location == Some(point));
        Ok(Response::new(found.cloned().unwrap_or(Feature {
            name: String::new(),
            location: Some(point),
        })))
    }

    type ListFeaturesStream = ResponseStream<Feature>;

    async fn list_features(
        &self,
        request: Request<Rectangle>,
    ) -> Result<Response<Self::ListFeaturesStream>, Status> {
        let rect = request.into_inner();
        let found: Vec<Result<Feature, Status>> = self
            .features
            .iter()
            .filter(|f| f.location.as_ref().is_some_and(|p| inside(p, &rect)))
            .cloned()
            .map(Ok)
            .collect();
        Ok(Response::new(Box::pin(tokio_stream::iter(found))))
    }

    async fn record_route(
        &self,
        request: Request<Streaming<Point>>,
    ) -> Result<Response<RouteSummary>, Status> {
        let mut points = request.into_inner();
        let mut summary = RouteSummary::default();
        let mut last: Option<Point> = None;
        let start = std::time::Instant::now();
        while let Some(point) = points.next().await {
            let point = point?;
            summary.point_count += 1;
            if self.features.iter().any(|f| f.location == Some(point)) {
                summary.feature_count += 1;
            }
            if let Some(previous) = last {
                summary.distance += distance(&previous, &point);
            }
            last = Some(point);
        }
        summary.elapsed_time = start.elapsed().as_secs() as i32;
        Ok(Response::new(summary))
    }

    type RouteChatStream = ResponseStream<RouteNote>;

    async fn route_chat(
        &self,
        request: Request<Streaming<RouteNote>>,
    ) -> Result<Response<Self::RouteChatStream>, Status> {
        let mut incoming = request.into_inner();
        let notes = Arc::clone(&self.notes);
        let output = async_stream(move |sender| async move {
            while let Some(note) = incoming.next().await {
                let note = note?;
                let location = note.location.unwrap_or_default();
                let key = (location.latitude, location.longitude);
                let earlier = {
                    let mut notes = notes.lock().await;
                    let entry = notes.entry(key).or_default();
                    let earlier = entry.clone();
                    entry.push(note);
                    earlier
                };
                for note in earlier {
                    if sender.send(Ok(note)).await.is_err() {
                        return Ok(());
                    }
                }
            }
            Ok(())
        });
        Ok(Response::new(output))
    }
}

/// A response stream fed by a task through a channel.
fn async_stream<F, Fut>(produce: F) -> ResponseStream<RouteNote>
where
    F: FnOnce(tokio::sync::mpsc::Sender<Result<RouteNote, Status>>) -> Fut,
    Fut: std::future::Future<Output = Result<(), Status>> + Send + 'static,
{
    let (sender, receiver) = tokio::sync::mpsc::channel(16);
    let errors = sender.clone();
    let task = produce(sender);
    tokio::spawn(async move {
        if let Err(status) = task.await {
            let _ = errors.send(Err(status)).await;
        }
    });
    Box::pin(tokio_stream::wrappers::ReceiverStream::new(receiver))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let guide = Guide {
        features: features(),
        ..Default::default()
    };
    let server = tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(RouteGuideServer::new(guide))
            .serve_with_incoming_shutdown(TcpListenerStream::new(listener), async {
                let _ = stopped.await;
            }),
    );

    let mut client = RouteGuideClient::connect(format!("http://{addr}")).await?;

    // Unary.
    let feature = client
        .get_feature(Point {
            latitude: 407_838_351,
            longitude: -746_143_763,
        })
        .await?
        .into_inner();
    println!("GetFeature: {:?} at {:?}", feature.name, feature.location);

    // Server streaming.
    let rect = Rectangle {
        lo: Some(Point {
            latitude: 400_000_000,
            longitude: -750_000_000,
        }),
        hi: Some(Point {
            latitude: 410_000_000,
            longitude: -740_000_000,
        }),
    };
    let mut stream = client.list_features(rect).await?.into_inner();
    while let Some(feature) = stream.message().await? {
        println!("ListFeatures: {:?}", feature.name);
    }

    // Client streaming.
    let route: Vec<Point> = features().into_iter().filter_map(|f| f.location).collect();
    let summary = client
        .record_route(tokio_stream::iter(route))
        .await?
        .into_inner();
    println!(
        "RecordRoute: {} points, {} features, {} m",
        summary.point_count, summary.feature_count, summary.distance
    );

    // Bidirectional streaming: the second note at a point hears the first.
    let here = Point {
        latitude: 1,
        longitude: 2,
    };
    let notes = vec![
        RouteNote {
            location: Some(here),
            message: "first".into(),
        },
        RouteNote {
            location: Some(here),
            message: "second".into(),
        },
    ];
    let mut replies = client
        .route_chat(tokio_stream::iter(notes))
        .await?
        .into_inner();
    while let Some(note) = replies.message().await? {
        println!("RouteChat: got {:?}", note.message);
    }

    drop(client);
    let _ = stop.send(());
    server.await??;
    Ok(())
}
