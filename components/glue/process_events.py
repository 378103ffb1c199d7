"""Glue ETL job of the game analytics pipeline.

Copies the raw events that arrived since the last run (job bookmarks) from the raw folder to the
processed folder, as Snappy Parquet partitioned by application_id/year/month/day, with the
processing status lifted out of the metadata JSON so queries can filter on it cheaply.

The raw folder is read as files, not through the catalog: the raw table uses partition
projection, so its partitions are not registered and a catalog read would see none.
Rows are de-duplicated by event_id within a run (a record Firehose retried lands twice).

Arguments: --raw_events_path s3://bucket/raw_events/  --processed_events_path s3://bucket/processed_events/
"""
import sys

from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import functions as F

args = getResolvedOptions(sys.argv, ["JOB_NAME", "raw_events_path", "processed_events_path"])

spark_context = SparkContext()
glue_context = GlueContext(spark_context)
spark = glue_context.spark_session
spark.conf.set("spark.sql.session.timeZone", "UTC")
job = Job(glue_context)
job.init(args["JOB_NAME"], args)

raw = glue_context.create_dynamic_frame.from_options(
    connection_type="s3",
    connection_options={"paths": [args["raw_events_path"]], "recurse": True},
    format="parquet",
    transformation_ctx="raw_events",
)

events = raw.toDF()
if events.head(1):
    timestamp = F.from_unixtime(F.col("event_timestamp"))
    processed = (
        events.dropDuplicates(["event_id"])
        .withColumn("processing_status", F.get_json_object(F.col("metadata"), "$.processing_status"))
        .withColumn("year", F.date_format(timestamp, "yyyy"))
        .withColumn("month", F.date_format(timestamp, "MM"))
        .withColumn("day", F.date_format(timestamp, "dd"))
    )
    glue_context.write_dynamic_frame.from_options(
        frame=DynamicFrame.fromDF(processed, glue_context, "processed_events"),
        connection_type="s3",
        connection_options={
            "path": args["processed_events_path"],
            "partitionKeys": ["application_id", "year", "month", "day"],
        },
        format="glueparquet",
        format_options={"compression": "snappy"},
        transformation_ctx="processed_events",
    )

job.commit()
