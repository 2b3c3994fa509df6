package dev.tandem.user;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.Duration;
import com.google.protobuf.Empty;
import com.google.protobuf.FieldMask;
import com.google.protobuf.FloatValue;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import com.google.protobuf.Value;
import dev.tandem.conformance.api.Color;
import dev.tandem.conformance.api.Kitchen;
import dev.tandem.conformance.api.Nested;

/** Messages with a field of every kind, for the jspb printer's comparison with google-protobuf (LegacyGatewayJspbTest). */
final class KitchenSamples {

    private KitchenSamples() {}

    /** Every field set, with values where JavaScript and Java print numbers differently if done naively. */
    static Kitchen everyField() {
        Nested leaf = Nested.newBuilder().setStringValue("leaf").setInt64Value(-7).addIds(1).addIds(-2).build();
        return Kitchen.newBuilder()
                .setDoubleValue(1.5e-7).setFloatValue(0.1f).setInt32Value(-42).setInt64Value(-1234567890123L)
                .setUint32Value(-1).setUint64Value(9007199254740991L).setSint32Value(-3).setSint64Value(-4)
                .setFixed32Value(7).setFixed64Value(8).setSfixed32Value(-9).setSfixed64Value(-10)
                .setBoolValue(true).setStringValue("\"quoted\" \\ \u00e9\u4e2d \n\t\u0001\u001f\u007f </script> \ud83d\ude00")
                .setBytesValue(ByteString.copyFrom(new byte[] {0, (byte) 0xff, 62, 63, (byte) 0xfb}))
                .setColor(Color.GREEN)
                .setNested(Nested.newBuilder().setStringValue("n").setChild(leaf))
                .addRepeatedString("a").addRepeatedString("")
                .addRepeatedInt64(5).addRepeatedInt64(-6)
                .addRepeatedColor(Color.RED).addRepeatedColor(Color.COLOR_UNSPECIFIED)
                .addRepeatedNested(leaf).addRepeatedNested(Nested.getDefaultInstance())
                .putStringMap("b", "2").putStringMap("a", "1").putStringMap("", "empty")
                .putNestedMap(10, leaf).putNestedMap(2, Nested.getDefaultInstance()).putNestedMap(-1, leaf)
                .setChoiceNested(leaf)
                .setTimestamp(Timestamp.newBuilder().setSeconds(1682899200).setNanos(5))
                .setDuration(Duration.newBuilder().setSeconds(-3).setNanos(-500))
                .setFieldMask(FieldMask.newBuilder().addPaths("a.b").addPaths("c"))
                .setStructValue(Struct.newBuilder()
                        .putFields("n", Value.newBuilder().setNumberValue(2.5).build())
                        .putFields("s", Value.newBuilder().setStringValue("x").build())
                        .putFields("z", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build()))
                .setValue(Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(Value.newBuilder().setBoolValue(false)).addValues(Value.newBuilder().setNumberValue(1e21))))
                .setListValue(ListValue.newBuilder().addValues(Value.newBuilder().setStringValue("l")))
                .setAny(Any.pack(leaf))
                .setEmpty(Empty.getDefaultInstance())
                .setDoubleWrapper(DoubleValue.of(123456789.125)).setFloatWrapper(FloatValue.of(3.4e38f))
                .setInt64Wrapper(Int64Value.of(0)).setUint64Wrapper(UInt64Value.of(1))
                .setInt32Wrapper(Int32Value.of(-1)).setUint32Wrapper(UInt32Value.of(2))
                .setBoolWrapper(BoolValue.of(false)).setStringWrapper(StringValue.of(""))
                .setBytesWrapper(BytesValue.of(ByteString.copyFromUtf8("hi")))
                .setOptionalString("").setOptionalInt32(0)
                .setName("shelves/1/kitchens/2")
                .build();
    }

    /** Nothing set: every scalar with its default, no message, no oneof member, no optional field. */
    static Kitchen defaults() {
        return Kitchen.getDefaultInstance();
    }

    /** A scalar member of the oneof, and a default-valued one at that. */
    static Kitchen otherChoice() {
        return Kitchen.newBuilder().setChoiceInt(0).setDoubleValue(-0.0).setFloatValue(Float.NaN).build();
    }
}
