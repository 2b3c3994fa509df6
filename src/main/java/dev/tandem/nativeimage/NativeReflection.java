package dev.tandem.nativeimage;

import build.buf.validate.FieldPath;
import build.buf.validate.FieldPathElement;
import build.buf.validate.FieldRules;
import build.buf.validate.Ignore;
import build.buf.validate.Int32Rules;
import build.buf.validate.MessageRules;
import build.buf.validate.OneofRules;
import build.buf.validate.PredefinedRules;
import build.buf.validate.Rule;
import build.buf.validate.StringRules;
import build.buf.validate.Violation;
import build.buf.validate.Violations;
import com.google.api.CustomHttpPattern;
import com.google.api.HttpRule;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.ResourceInfo;
import com.google.rpc.Status;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reflection that a native executable of Tandem needs beyond what Quarkus registers by itself.
 *
 * <p>Quarkus's gRPC extension registers every protobuf message, builder and enum class of the
 * indexed code for reflection: Tandem's generated {@code dev.tandem.api.*}, protobuf-java (the
 * well-known types, which its gRPC extension indexes) and the health and reflection stubs. It does
 * not index {@code com.google.api.grpc:proto-google-common-protos}. Of that jar Tandem uses:
 *
 * <ul>
 *   <li>{@code google.rpc.Status}, printed as the body of every REST error with protobuf's {@code
 *       JsonFormat}, which reads a generated message's fields through accessors it finds by
 *       reflection ({@code GeneratedMessageV3.FieldAccessorTable});
 *   <li>the error details {@code BadRequest}, {@code ResourceInfo}, {@code PreconditionFailure} and
 *       {@code ErrorInfo}
 *       (printed inside {@code Any} through their descriptors, registered here too so that any
 *       typed use is covered);
 *   <li>{@code google.api.HttpRule} and {@code CustomHttpPattern}, read from the method options by
 *       the transcoder;
 *   <li>{@code google.api.HttpBody}, the request field of {@code ImportItems} and the messages of
 *       {@code ExportOrdersCsv}, which Connect's JSON form prints through the same accessors.
 * </ul>
 *
 * <p>Nor does it index {@code build.buf:protovalidate}. Its validator reads the {@code
 * (buf.validate.field)} rules from the field options ({@code FieldRules} and the {@code StringRules}
 * and {@code Int32Rules} Tandem's protos use, with the CEL {@code Rule}s) and hands them to CEL,
 * which reads their fields through the same reflective accessors; its violations ({@code Violation},
 * {@code FieldPath}, {@code FieldPathElement}) are generated messages too. These are registered
 * here. CEL ({@code dev.cel}) and RE2J may need more (e.g. their own reflective or resource use): not
 * known until a native executable runs the validation tests.
 *
 * <p>{@code dev.tandem.rpc.RpcRegistry} binds each {@code @RpcService} bean with the static {@code
 * bindService(AsyncService)} of its generated {@code <Service>Grpc} class, found by reflection: those
 * classes are registered in {@link GrpcStubs} (a new service adds its class there).
 *
 * <p>Checked with {@code ./mvnw package -Dnative -Dquarkus.native.sources-only=true}, whose
 * generated reflection configuration lists these classes; not yet with a native executable, which
 * cannot be built on this project's machines (docs/operations.md, "Native executable").
 */
@RegisterForReflection(targets = {
        Status.class, Status.Builder.class,
        BadRequest.class, BadRequest.Builder.class,
        BadRequest.FieldViolation.class, BadRequest.FieldViolation.Builder.class,
        ResourceInfo.class, ResourceInfo.Builder.class,
        PreconditionFailure.class, PreconditionFailure.Builder.class,
        PreconditionFailure.Violation.class, PreconditionFailure.Violation.Builder.class,
        ErrorInfo.class, ErrorInfo.Builder.class,
        HttpRule.class, HttpRule.Builder.class,
        CustomHttpPattern.class, CustomHttpPattern.Builder.class,
        com.google.api.HttpBody.class, com.google.api.HttpBody.Builder.class,
        FieldRules.class, FieldRules.Builder.class,
        StringRules.class, StringRules.Builder.class,
        Int32Rules.class, Int32Rules.Builder.class,
        Rule.class, Rule.Builder.class,
        PredefinedRules.class, PredefinedRules.Builder.class,
        MessageRules.class, MessageRules.Builder.class,
        OneofRules.class, OneofRules.Builder.class,
        Violation.class, Violation.Builder.class,
        Violations.class, Violations.Builder.class,
        FieldPath.class, FieldPath.Builder.class,
        FieldPathElement.class, FieldPathElement.Builder.class,
        Ignore.class,
}, methods = true, fields = true)
public final class NativeReflection {

    private NativeReflection() {
    }

    /** The generated {@code <Service>Grpc} classes whose {@code bindService} the registry calls. */
    @RegisterForReflection(targets = {
            dev.tandem.api.helloworld.GreeterGrpc.class,
            dev.tandem.api.user.v1.UserServiceGrpc.class,
            dev.tandem.api.orders.v1.OrderServiceGrpc.class,
            dev.tandem.api.orders.v1.ItemServiceGrpc.class,
            dev.tandem.api.orders.v1.OrderExportServiceGrpc.class,
    }, methods = true)
    static final class GrpcStubs {
        private GrpcStubs() {
        }
    }
}
