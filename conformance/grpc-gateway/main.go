// Command conformance-gateway serves tandem.conformance.v1.Conformance twice: as
// a Go gRPC backend with the same semantics as Tandem's test-only
// ConformanceGrpcService, and as REST/JSON through grpc-gateway v1's
// runtime.NewServeMux (all defaults), which reaches the backend over a real
// loopback gRPC connection. It is the peer that conformance/run-grpc-gateway.sh
// runs the conformance cases against.
//
// Usage:
//
//	conformance-gateway [-http 127.0.0.1:0] [-grpc 127.0.0.1:0] [-addr-file FILE]
//
// It prints "http=HOST:PORT grpc=HOST:PORT" on stdout once both listen, and
// writes the same line to -addr-file when given.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"net"
	"net/http"
	"regexp"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	conformancev1 "tandem/conformance/v1"
)

// server mirrors src/test/java/dev/tandem/conformance/ConformanceGrpcService.java.
type server struct{}

// Echo returns the request it was given.
func (server) Echo(_ context.Context, in *conformancev1.Kitchen) (*conformancev1.Kitchen, error) {
	return in, nil
}

// EchoNested returns the request it was given.
func (server) EchoNested(_ context.Context, in *conformancev1.Kitchen) (*conformancev1.Kitchen, error) {
	return in, nil
}

// EchoRepeated returns the request it was given.
func (server) EchoRepeated(_ context.Context, in *conformancev1.Kitchen) (*conformancev1.Kitchen, error) {
	return in, nil
}

// Update returns the update it was given.
func (server) Update(_ context.Context, in *conformancev1.KitchenUpdate) (*conformancev1.KitchenUpdate, error) {
	return in, nil
}

// Fail answers an empty Kitchen for code 0, else fails with that code, the
// given message and a google.rpc.BadRequest detail on field "code".
func (server) Fail(_ context.Context, in *conformancev1.FailRequest) (*conformancev1.Kitchen, error) {
	if in.GetCode() == 0 {
		return &conformancev1.Kitchen{}, nil
	}
	return nil, failure(in.GetCode(), in.GetMessage())
}

// StreamKitchens sends `count` Kitchens with int32_value 1..count, then ends
// with OK or with `fail_code`.
func (server) StreamKitchens(in *conformancev1.StreamRequest, stream conformancev1.Conformance_StreamKitchensServer) error {
	for i := int32(1); i <= in.GetCount(); i++ {
		if err := stream.Send(&conformancev1.Kitchen{Int32Value: i}); err != nil {
			return err
		}
	}
	if in.GetFailCode() != 0 {
		return failure(in.GetFailCode(), fmt.Sprintf("failed after %d", in.GetCount()))
	}
	return nil
}

// failure builds the status Tandem's test service builds: like grpc-java's
// Status.fromCodeValue, a number outside 1..16 becomes UNKNOWN.
func failure(code int32, message string) error {
	c := codes.Code(code)
	if code < 0 || code > 16 {
		c = codes.Unknown
	}
	st, err := status.New(c, message).WithDetails(&errdetails.BadRequest{
		FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "code", Description: "asked to fail"}},
	})
	if err != nil {
		return status.Error(codes.Internal, err.Error())
	}
	return st.Err()
}

// validRequestID is RequestIdInterceptor.VALID of Tandem.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// requestID mirrors Tandem's global dev.tandem.observability.RequestIdInterceptor,
// which also runs around Tandem's conformance service: the caller's x-request-id
// metadata when valid, else a new random id, returned as the x-request-id
// response header. With it, a case about metadata round trips compares the two
// transcoders, not the two backends.
func requestID(ctx context.Context) metadata.MD {
	id := ""
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		if v := md.Get("x-request-id"); len(v) > 0 && validRequestID.MatchString(v[0]) {
			id = v[0]
		}
	}
	if id == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	return metadata.Pairs("x-request-id", id)
}

func unaryRequestID(ctx context.Context, req interface{}, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (interface{}, error) {
	if err := grpc.SetHeader(ctx, requestID(ctx)); err != nil {
		return nil, err
	}
	return h(ctx, req)
}

func streamRequestID(srv interface{}, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
	if err := ss.SetHeader(requestID(ss.Context())); err != nil {
		return err
	}
	return h(srv, ss)
}

func main() {
	httpAddr := flag.String("http", "127.0.0.1:0", "REST listen address")
	grpcAddr := flag.String("grpc", "127.0.0.1:0", "gRPC backend listen address")
	addrFile := flag.String("addr-file", "", "write the bound addresses to this file")
	flag.Parse()

	grpcLis, err := net.Listen("tcp", *grpcAddr)
	if err != nil {
		log.Fatal(err)
	}
	backend := grpc.NewServer(grpc.UnaryInterceptor(unaryRequestID), grpc.StreamInterceptor(streamRequestID))
	conformancev1.RegisterConformanceServer(backend, server{})
	go func() { log.Fatal(backend.Serve(grpcLis)) }()

	ctx := context.Background()
	mux := runtime.NewServeMux() // grpc-gateway v1 defaults, deliberately unconfigured
	err = conformancev1.RegisterConformanceHandlerFromEndpoint(ctx, mux, grpcLis.Addr().String(),
		[]grpc.DialOption{grpc.WithInsecure()})
	if err != nil {
		log.Fatal(err)
	}

	httpLis, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		log.Fatal(err)
	}
	line := fmt.Sprintf("http=%s grpc=%s\n", httpLis.Addr(), grpcLis.Addr())
	if *addrFile != "" {
		if err := ioutil.WriteFile(*addrFile, []byte(line), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Print(line)
	log.Fatal(http.Serve(httpLis, mux))
}
