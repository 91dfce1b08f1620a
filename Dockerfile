# Baygraph API and loader in one small image.
#   docker build -t baygraph .
#   docker run -p 8000:8000 baygraph          (embedded SQLite, filled from the bundled seeds)
# The binaries find the seeds at /usr/local/share/baygraph/seeds (beside their bin/), so no
# working directory or flag is needed.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p api -p loader

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/baygraph --create-home baygraph
COPY --from=build /src/target/release/api /src/target/release/loader /usr/local/bin/
COPY --from=build /src/seeds /usr/local/share/baygraph/seeds
USER baygraph
WORKDIR /var/lib/baygraph
ENV BAYGRAPH_LISTEN=0.0.0.0:8000 \
    DATABASE_URL=sqlite:///var/lib/baygraph/baygraph.db?mode=rwc
EXPOSE 8000
ENTRYPOINT ["/usr/local/bin/api"]
