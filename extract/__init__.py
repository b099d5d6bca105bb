"""innograph.extract"""
