//! The greeter, end to end through Rivet's pipeline: `build.rs` compiled
//! `protos/helloworld.proto` with `rivet-build`; this program serves and calls it.
//!
//! ```text
//! cargo run --example greeter                                   # in-process server + client
//! cargo run --example greeter -- --name Ada                     # ... greeting Ada
//! cargo run --example greeter -- --serve 127.0.0.1:50051        # server only, until Ctrl-C
//! cargo run --example greeter -- --connect http://127.0.0.1:50051 --name Ada   # client only
//! ```

use std::net::SocketAddr;

use clap::Parser;
use rivet::helloworld::greeter_client::GreeterClient;
use rivet::helloworld::greeter_server::{Greeter, GreeterServer};
use rivet::helloworld::{HelloReply, HelloRequest};
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::{Request, Response, Status};

#[derive(Parser, Debug)]
#[command(about = "Rivet's greeter example: a tonic server and client from Rivet-generated code")]
struct Args {
    /// The name to greet.
    #[arg(long, default_value = "Rivet")]
    name: String,
    /// Only serve, on this address, until interrupted (Ctrl-C).
    #[arg(long, value_name = "ADDR", conflicts_with = "connect")]
    serve: Option<SocketAddr>,
    /// Only call the server at this URL (e.g. http://127.0.0.1:50051).
    #[arg(long, value_name = "URL")]
    connect: Option<String>,
}

/// Answers every request with "Hello, NAME!".
#[derive(Debug, Default)]
struct HelloGreeter;

#[tonic::async_trait]
impl Greeter for HelloGreeter {
    async fn say_hello(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<HelloReply>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(HelloReply {
            message: format!("Hello, {name}!"),
        }))
    }
}

async fn say_hello(url: String, name: String) -> Result<String, Box<dyn std::error::Error>> {
    let mut client = GreeterClient::connect(url).await?;
    let reply = client.say_hello(HelloRequest { name }).await?;
    Ok(reply.into_inner().message)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();

    if let Some(url) = args.connect {
        println!("{}", say_hello(url, args.name).await?);
        return Ok(());
    }

    if let Some(addr) = args.serve {
        let listener = TcpListener::bind(addr).await?;
        eprintln!("greeter listening on {}", listener.local_addr()?);
        tonic::transport::Server::builder()
            .add_service(GreeterServer::new(HelloGreeter))
            .serve_with_incoming_shutdown(TcpListenerStream::new(listener), async {
                let _ = tokio::signal::ctrl_c().await;
                eprintln!("greeter shutting down");
            })
            .await?;
        return Ok(());
    }

    // Both in one process: a server on a free port, one call, a graceful shutdown.
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(GreeterServer::new(HelloGreeter))
            .serve_with_incoming_shutdown(TcpListenerStream::new(listener), async {
                let _ = stopped.await;
            }),
    );
    let reply = say_hello(format!("http://{addr}"), args.name).await;
    let _ = stop.send(());
    server.await??;
    println!("{}", reply?);
    Ok(())
}
